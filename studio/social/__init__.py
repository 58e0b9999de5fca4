"""Cards for the centre's social pages: rendered from the rundown and from verified facts, written to a folder
with a sidecar each, withdrawn when a fact they state is retracted, and published to the Telegram channel."""
