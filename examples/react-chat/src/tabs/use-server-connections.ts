import { useEffect, useState } from 'react'
import { fetchServerConnections, type ServerConnections } from './server-connections'

/**
 * The example server's open connections per path, read from its `/status` every `every` ms while the component is
 * mounted; `undefined` until the first answer and while the server does not answer (during a restart).
 */
export function useServerConnections(http: string, every = 1000): ServerConnections | undefined {
  const [connections, setConnections] = useState<ServerConnections | undefined>(undefined)
  useEffect(() => {
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const poll = () => {
      fetchServerConnections(http)
        .then(
          (answer) => !stopped && setConnections(answer),
          () => !stopped && setConnections(undefined),
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(poll, every)
        })
    }
    poll()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [http, every])
  return connections
}
