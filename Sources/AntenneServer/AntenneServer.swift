// AntenneServer module.
