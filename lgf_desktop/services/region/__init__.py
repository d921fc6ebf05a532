"""Regional collation: a partnership's round as an exchange file, the regional database that
imports five partnerships' rounds (each kept whole and read-only under its partnership), and one
organisation recognised across partnerships."""
