"""The central server: receives approved KYC records from branch workstations exactly once."""
