"""What comes of a judgement (发现处置): findings, notices, complaints, department cards."""
