import { describe, expect, test } from 'vitest'
import { ArrivalOrder, ackOf, DeliveryLedger, idOf, message } from '../ledger.mjs'

describe('DeliveryLedger', () => {
  test('a message is pending until acknowledged or dropped; what is neither is lost', () => {
    const ledger = new DeliveryLedger()
    for (const id of ['a', 'b', 'c', 'd']) ledger.sentMessage(id)
    ledger.ack('a')
    ledger.drop('b', 'overflow')
    ledger.drop('c', 'expired')
    expect(ledger.sent).toBe(4)
    expect(ledger.acked).toBe(1)
    expect(ledger.dropped).toEqual({ overflow: 1, expired: 1 })
    expect(ledger.pending).toBe(1)
    expect(ledger.pendingIds()).toEqual(['d'])
  })

  test('a repeated ack, an ack after a drop and an ack for an unknown id are counted apart', () => {
    const ledger = new DeliveryLedger()
    ledger.sentMessage('a')
    ledger.sentMessage('b')
    ledger.ack('a')
    ledger.ack('a')
    ledger.drop('b', 'overflow')
    ledger.ack('b')
    ledger.ack('zzz')
    expect(ledger).toMatchObject({ acked: 1, duplicateAcks: 1, ackedAfterDrop: 1, unknownAcks: 1 })
    expect(ledger.pending).toBe(0)
  })

  test('a drop after the ack changes nothing, and an id cannot be sent twice', () => {
    const ledger = new DeliveryLedger()
    ledger.sentMessage('a')
    ledger.ack('a')
    ledger.drop('a', 'overflow')
    expect(ledger.dropped).toEqual({})
    expect(() => ledger.sentMessage('a')).toThrow('sent twice')
  })
})

describe('ArrivalOrder', () => {
  test('resends are duplicates; first arrivals in increasing order, gaps allowed', () => {
    const order = new ArrivalOrder()
    for (const n of [1, 2, 3, 2, 3, 4, 6, 4, 7]) order.add(1, n)
    expect(order.duplicates).toBe(3)
    expect(order.outOfOrder).toEqual([])
    expect(order.distinct(1)).toBe(6)
  })

  test('a first arrival below one already seen is out of order, per client, with the connections', () => {
    const order = new ArrivalOrder()
    order.add(1, 1, 10)
    order.add(2, 5, 11)
    order.add(1, 3, 12)
    order.add(1, 2, 10)
    order.add(2, 6, 11)
    expect(order.outOfOrder).toEqual([{ client: 1, n: 2, after: 3, connection: 10, afterConnection: 12 }])
    expect(order.arrivals).toBe(5)
  })
})

describe('messages', () => {
  test('a message carries its id first and is padded to the size asked', () => {
    const text = message(3, 17, 200)
    expect(text.length).toBe(200)
    expect(JSON.parse(text)).toMatchObject({ id: 'c3-17', client: 3, n: 17 })
    expect(idOf(text)).toBe('c3-17')
    expect(JSON.parse(message(1, 2))).toEqual({ id: 'c1-2', client: 1, n: 2, pad: '' })
  })

  test('idOf and ackOf read only their own shapes', () => {
    expect(idOf('{"ack":"c1-1"}')).toBeUndefined()
    expect(idOf('{"id":"unterminated')).toBeUndefined()
    expect(ackOf('{"ack":"c1-1"}')).toBe('c1-1')
    expect(ackOf('{"error":"expected a JSON object with an id"}')).toBeUndefined()
    expect(ackOf(Buffer.from('x'))).toBeUndefined()
  })
})
