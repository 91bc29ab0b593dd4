// Reads a JSON array of Cypher statements on stdin; prints a JSON array with the
// errors (severity 1 diagnostics, except 'parameter not defined') of each, from Neo4j's language-support parser.
const { lintCypherQuery, isNotParamError } = require('@neo4j-cypher/language-support');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const statements = JSON.parse(input);
  const out = statements.map((s) => {
    const res = lintCypherQuery(s, {});
    return res.diagnostics
      .filter((d) => d.severity === 1 && isNotParamError(d))
      .map((d) => ({ message: d.message, offset: d.offsets ? d.offsets.start : null }));
  });
  process.stdout.write(JSON.stringify(out));
});
