// The command line of bench/run.mjs: case names, --quick, --json <file>, --down <seconds>.

/**
 * Parses `argv` (without node and the script). Resolves nothing and prints nothing: returns `{ cases, quick, json,
 * downSeconds }`, or `{ error }` for a line it cannot read.
 */
export function parseOptions(argv, caseNames) {
  const options = { cases: [], quick: false, json: undefined, downSeconds: undefined }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--quick') options.quick = true
    else if (arg === '--json') {
      options.json = argv[++i]
      if (!options.json) return { error: '--json needs a file name' }
    } else if (arg === '--down') {
      const seconds = Number(argv[++i])
      if (!Number.isFinite(seconds) || seconds <= 0) return { error: '--down needs a number of seconds above 0' }
      options.downSeconds = seconds
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` }
    else if (!caseNames.includes(arg)) return { error: `unknown case ${arg}; the cases are: ${caseNames.join(', ')}` }
    else options.cases.push(arg)
  }
  if (options.cases.length === 0) options.cases = [...caseNames]
  return options
}
