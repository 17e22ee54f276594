"""Protection: authentication hardening, safe headers, no lost work, backups, SAR and retention."""
