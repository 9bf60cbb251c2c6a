import { expect, test } from 'vitest'
import { FAULTS, injectFault } from '../../src/faults/faults'
import { exampleServerPerTest } from '../example-server'

const { server, http, connect } = exampleServerPerTest()
const fault = (label: string) => FAULTS.find((f) => f.label === label)!

test('"Go away" drops every connection and refuses new ones', async () => {
  const ws = await connect('/chat')
  const closed = new Promise<number>((resolve) => ws.once('close', resolve))
  await injectFault(http(), fault('Go away for 8 s'))
  expect(await closed).toBe(1006)
  expect(server().status().faults.refusing).toBe(true)
  await expect(connect('/chat')).rejects.toThrow(/503/)
})

test('each button asks the server for a fault it knows', async () => {
  for (const f of FAULTS) await injectFault(http(), f)
  expect(server().status().faults).toMatchObject({ halfOpen: true, slowRead: true, refusing: true })
})

test('a refused request is an error naming the fault and the status', async () => {
  await expect(injectFault(http(), { label: 'x', steps: [{ name: 'slow-read', ms: -1 }], expect: '' })).rejects.toThrow(
    'slow-read: the server answered 400',
  )
})
