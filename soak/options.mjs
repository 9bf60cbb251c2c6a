/** The soak's command line: `--duration <s> --clients <n> --large <n> --feeds <n> --cycles <n> --json <file>`. */
export const DEFAULTS = { duration: 60, clients: 50, large: 3, feeds: 5, cycles: 5000, json: undefined }

const NUMBERS = {
  '--duration': 'duration',
  '--clients': 'clients',
  '--large': 'large',
  '--feeds': 'feeds',
  '--cycles': 'cycles',
}

/** Returns the options, or `{ error }` for a line it cannot read. */
export function parseOptions(argv) {
  const options = { ...DEFAULTS }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--json') {
      options.json = argv[++i]
      if (!options.json) return { error: '--json needs a file name' }
    } else if (arg in NUMBERS) {
      const value = Number(argv[++i])
      if (!Number.isInteger(value) || value < 0) return { error: `${arg} needs a whole number, not ${argv[i]}` }
      options[NUMBERS[arg]] = value
    } else return { error: `unknown option ${arg}` }
  }
  if (options.duration < 20) return { error: '--duration must be at least 20 seconds: one round of faults' }
  if (options.large > options.clients) return { error: '--large cannot exceed --clients' }
  if (options.cycles < 2000) return { error: '--cycles must be at least 2000 (the heap is compared after 1000)' }
  return options
}
