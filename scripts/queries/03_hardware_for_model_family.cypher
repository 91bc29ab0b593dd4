// Which hardware is used to train or run models of a family?
// A family is a model together with the models BASED_ON it (LLaMA -> Alpaca, ...).
// To ask about one family: add  WHERE toLower(family) = toLower($family)  and pass --param family=LLaMA.
MATCH (p:Paper)-[:PROPOSES|USES]->(m:Model)
MATCH (p)-[h:USES_HARDWARE]->(hw:Hardware)
OPTIONAL MATCH (m)-[:BASED_ON]->(base:Model)
WITH p, h, hw, coalesce(base.name, m.name) AS family
RETURN family, hw.name AS hardware, count(DISTINCT p) AS papers, max(h.count) AS max_count,
       collect(DISTINCT h.purpose) AS purposes
ORDER BY papers DESC, family, hardware
