import { useState } from 'react'
import { Composer } from './chat/Composer'
import { MessageList } from './chat/MessageList'
import { useChat } from './chat/use-chat'
import { ConnectionBadge } from './connection/ConnectionBadge'
import { Latency } from './connection/Latency'
import { FaultPanel } from './faults/FaultPanel'
import type { ServerAddress } from './server-address'
import { describeServerConnections } from './tabs/server-connections'
import { TabRole } from './tabs/TabRole'
import { TabsToggle } from './tabs/TabsToggle'
import { useServerConnections } from './tabs/use-server-connections'
import { useTabRole } from './tabs/use-tab-role'
import { Ticker } from './ticker/Ticker'
import { useTicker } from './ticker/use-ticker'

interface Props {
  server: ServerAddress
  /** One connection for all the tabs of the app (`SharedWebSocket`) instead of one per tab. */
  shared: boolean
  onSharedChange: (shared: boolean) => void
}

/** A chat and a live ticker on two lifeline sockets, with buttons that break the server. */
export function App({ server, shared, onSharedChange }: Props) {
  const [me] = useState(() => `guest-${Math.random().toString(36).slice(2, 6)}`)
  const chat = useChat(server.ws, me, shared)
  const ticker = useTicker(server.ws, shared)
  const chatRole = useTabRole(chat.getWebSocket())
  const tickerRole = useTabRole(ticker.getWebSocket())
  const connections = useServerConnections(server.http)
  return (
    <main>
      <header>
        <h1>lifeline chat</h1>
        <ConnectionBadge label="chat" state={chat.state} attempt={chat.attempt ?? 0} socket={chat.getWebSocket()} />
        <Latency latency={chat.latency} />
        {chat.lastLoss && (
          <span className="last-loss" data-testid="last-loss">
            last loss: {chat.lastLoss}
          </span>
        )}
        <span className="server">
          {server.ws} · you are {me}
        </span>
      </header>
      <div className="tabs-bar">
        <TabsToggle on={shared} onChange={onSharedChange} />
        <TabRole label="chat" role={chatRole} />
        <TabRole label="ticker" role={tickerRole} />
        <span className="server-connections" data-testid="server-connections">
          {describeServerConnections(connections)}
        </span>
      </div>
      <div className="columns">
        <section className="card chat">
          <h2>Chat</h2>
          <MessageList log={chat.log} open={chat.state === 'open'} />
          <Composer onSend={chat.send} />
        </section>
        <div className="side">
          <section className="card">
            <h2>
              Ticker{' '}
              <ConnectionBadge
                label="ticker"
                state={ticker.state}
                attempt={ticker.attempt ?? 0}
                socket={ticker.getWebSocket()}
              />
            </h2>
            <Ticker feed={ticker.feed} />
          </section>
          <FaultPanel
            http={server.http}
            onReconnect={() => {
              chat.reconnect()
              ticker.reconnect()
            }}
          />
        </div>
      </div>
    </main>
  )
}
