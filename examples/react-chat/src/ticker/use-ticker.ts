import useWebSocket from '@lifeline/react'
import { useReducer, useRef } from 'react'
import { CONNECTION } from '../connection/settings'
import { addTick, emptyFeed, parseTick } from './ticker-feed'

/**
 * The live ticker over `${server}/ticker`. Every reconnection resumes after the last `seq` seen (`?since=N`, lifeline's
 * `resume` hook), and the server replays what was missed, so the feed has no gaps.
 */
export function useTicker(server: string) {
  const [feed, add] = useReducer(addTick, emptyFeed)
  const last = useRef<number | undefined>(undefined)
  const socket = useWebSocket(`${server}/ticker`, {
    ...CONNECTION,
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
