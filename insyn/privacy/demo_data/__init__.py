"""The demo registers as data: seed 003 (Södertälje KS) and seed 001 (Piteå KS, förtroendevalda)."""
