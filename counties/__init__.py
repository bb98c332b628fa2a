"""Counties: counties, villages, and the poverty line in force per county and year."""
