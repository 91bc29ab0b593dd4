// Every statement drawn from a paper, with its evidence, offsets, confidence and extractor.
// Narrow to one paper with: WHERE p.id = $paper  (kg cypher FILE --param paper=paper/2401.04088)
MATCH (p:Paper)-[r]->(e:Entity)
RETURN p.id AS paper, type(r) AS role, e.name AS entity, r.confidence AS confidence, r.field AS field,
       r.start AS start, r.end AS end, r.evidence AS evidence, r.extractor AS extractor
ORDER BY paper, role, entity
LIMIT 200
