// Which papers link to code (a repository URL in their metadata or abstract)?
MATCH (p:Paper)
WHERE p.url CONTAINS 'github.com' OR p.url CONTAINS 'gitlab.com'
   OR p.abstract CONTAINS 'github.com' OR p.abstract CONTAINS 'gitlab.com'
OPTIONAL MATCH (p)-[:PROPOSES]->(e:Entity)
RETURN p.title AS paper, coalesce(p.url, '') AS url, collect(e.name) AS proposes
ORDER BY paper
