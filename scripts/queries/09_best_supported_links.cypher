// Which entity-to-entity links (based on, outperforms, trained on) do the most papers state?
MATCH (h:Entity)-[r:BASED_ON|OUTPERFORMS|TRAINED_ON]->(t:Entity)
RETURN h.name AS head, type(r) AS link, t.name AS tail, r.support AS support, r.evidence AS evidence
ORDER BY support DESC, head, tail
LIMIT 50
