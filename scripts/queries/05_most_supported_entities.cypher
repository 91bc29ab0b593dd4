// Which entities have the most support (distinct papers naming them)?
MATCH (p:Paper)-[r]->(e:Entity)
WITH e, count(DISTINCT p) AS papers, avg(r.confidence) AS mean_confidence
RETURN [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS entity, papers,
       round(mean_confidence * 100) / 100.0 AS mean_confidence
ORDER BY papers DESC, type, entity
LIMIT 25
