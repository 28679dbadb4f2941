"""Files: intake (`intake.check_files`: content-sniffed, size-limited, safely named uploads) and serving
(`serving.serve_stored`, `serving.harden`), used by every app through these public functions. The settings keep
their names (`WENMING_EVIDENCE_*`, `conf`)."""
