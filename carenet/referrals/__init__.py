"""Referrals feature (brokering)."""
