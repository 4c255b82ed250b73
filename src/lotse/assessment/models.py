"""E-Government-Check, cost-benefit analysis and the Lenkungsgremium's ranking."""
