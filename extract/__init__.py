"""Pure extraction: text or bytes in, frozen records out. No network, database or Prefect here."""
