"""Support reports: what each conversation left behind, turned into the numbers a support team is run on."""
