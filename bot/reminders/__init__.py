"""Check-ins and stretch reminders: schedule maths, the tick that sends them, their handlers."""
