import { FakeTabs } from '@lifeline/testing/fake-tabs'
import { describe, expect, test } from 'vitest'
import { requestLead } from '../../src/tabs/election'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('requestLead', () => {
  test('the first tab to ask leads; the next leads once the first gives up the lock', async () => {
    const browser = new FakeTabs()
    const granted: string[] = []
    const releaseA = browser.in('a', () => requestLead(browser.locks, 'feed', () => granted.push('a')))
    const releaseB = browser.in('b', () => requestLead(browser.locks, 'feed', () => granted.push('b')))
    await settle()
    expect(granted).toEqual(['a'])
    expect(browser.locks.holder('feed')).toBe('a')
    releaseA()
    await settle()
    expect(granted).toEqual(['a', 'b'])
    releaseB()
    await settle()
    expect(browser.locks.holder('feed')).toBeUndefined()
  })

  test('a tab that goes away hands the lock on without calling anything', async () => {
    const browser = new FakeTabs()
    const granted: string[] = []
    browser.in('a', () => requestLead(browser.locks, 'feed', () => granted.push('a')))
    const releaseB = browser.in('b', () => requestLead(browser.locks, 'feed', () => granted.push('b')))
    await settle()
    browser.crash('a')
    await settle()
    expect(granted).toEqual(['a', 'b'])
    releaseB()
  })

  test('giving up before the grant withdraws the request: it is never granted', async () => {
    const browser = new FakeTabs()
    const granted: string[] = []
    const releaseA = browser.in('a', () => requestLead(browser.locks, 'feed', () => granted.push('a')))
    const releaseB = browser.in('b', () => requestLead(browser.locks, 'feed', () => granted.push('b')))
    releaseB()
    await settle()
    expect(browser.locks.waitingFor('feed')).toBe(0)
    releaseA()
    await settle()
    expect(granted).toEqual(['a'])
    expect(browser.locks.holder('feed')).toBeUndefined()
  })

  test('a fault while taking the lead is reported, and the lock is released', async () => {
    const browser = new FakeTabs()
    const reported: unknown[] = []
    const original = (globalThis as { reportError?: unknown }).reportError
    ;(globalThis as { reportError?: unknown }).reportError = (error: unknown) => reported.push(error)
    try {
      browser.in('a', () =>
        requestLead(browser.locks, 'feed', () => {
          throw new Error('bug')
        }),
      )
      const granted: string[] = []
      const releaseB = browser.in('b', () => requestLead(browser.locks, 'feed', () => granted.push('b')))
      await settle()
      await settle()
      expect((reported[0] as Error).message).toBe('bug')
      expect(granted).toEqual(['b'])
      releaseB()
    } finally {
      ;(globalThis as { reportError?: unknown }).reportError = original
    }
  })
})
