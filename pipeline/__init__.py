"""Pure pipeline stages (sources, detect, track, rules, evidence, caption, bus) and their currencies."""
