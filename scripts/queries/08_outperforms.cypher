// Who outperforms whom, by how many papers' support, with evidence?
MATCH (a:Entity)-[r:OUTPERFORMS]->(b:Entity)
RETURN a.name AS winner, b.name AS loser, coalesce(r.support, 1) AS support,
       r.confidence AS confidence, r.evidence AS evidence
ORDER BY support DESC, winner, loser
