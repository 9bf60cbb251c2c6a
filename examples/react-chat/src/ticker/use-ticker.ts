import useWebSocket from '@lifeline/react'
import { useReducer, useRef } from 'react'
import { CONNECTION } from '../connection/settings'
import { socketClass } from '../tabs/socket-class'
import { addTick, emptyFeed, parseTick } from './ticker-feed'

/**
 * The live ticker over `${server}/ticker`. Every reconnection resumes after the last `seq` seen (`?since=N`, lifeline's
 * `resume` hook), and the server replays what was missed, so the feed has no gaps. With `shared`, one connection
 * (a `SharedWebSocket`) serves all the tabs; the tab that holds it resumes after the last `seq` it saw, and every tab
 * sees every price.
 */
export function useTicker(server: string, shared = false) {
  const [feed, add] = useReducer(addTick, emptyFeed)
  const last = useRef<number | undefined>(undefined)
  const socket = useWebSocket(`${server}/ticker`, {
    ...CONNECTION,
    Socket: socketClass(shared),
    resume: (url) => {
      if (last.current !== undefined) url.searchParams.set('since', String(last.current))
    },
    onMessage: (event) => {
      const tick = parseTick(event.data)
      if (!tick) return
      if (last.current === undefined || tick.seq > last.current) last.current = tick.seq
      add(tick)
    },
  })
  return { ...socket, feed }
}
