"""Image modality (clinical, dermoscopy, pathology, other): a small CNN fused with caption cues."""
