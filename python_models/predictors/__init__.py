"""The three prediction systems and the maths they share (markets, decisions)."""
