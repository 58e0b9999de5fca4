"""``studio rehearse``: a whole show day played on a simulated clock, and a report of how the system held up.

- clock.py: the one clock of the rehearsal process (the plan's day, at any speed);
- scenario.py: the seeded day of observer reports, the commission's figures, planted fakes and a conflict (pure);
- run.py: the wiring, through studio/show/services.py, and the main loop; observers.py: the real intake on
  loopback and the observers posting to it; desk.py, producer.py: the simulated desk and producer;
- report.py: the figures as JSON, a one-page HTML with SVG charts, and the text summary (pure).
"""
