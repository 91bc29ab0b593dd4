"""Writers: one module per output format, each taking a KnowledgeGraph."""
