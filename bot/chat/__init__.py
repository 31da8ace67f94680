"""What every feature uses: the turn, replies, the callback codec, the router, the registry."""
