// Which papers propose a model, and which model?
MATCH (p:Paper)-[r:PROPOSES]->(m:Model)
RETURN p.title AS paper, m.name AS model, r.confidence AS confidence, r.evidence AS evidence
ORDER BY paper, model
