import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { serverAddress } from './server-address'
import { tabsMode, withTabsMode } from './tabs/tabs-mode'
import './styles.css'

// `?server=ws://host:port` points the app at any example server; otherwise the one `pnpm dev` started.
const server = serverAddress(window.location.search, __LIFELINE_SERVER__)

/**
 * The app, with a connection per tab or (`?tabs=1`) one for all tabs. Switching writes the choice into the page's
 * address (so that tabs opened from it share too) and starts the app again on new sockets.
 */
function Root() {
  const [shared, setShared] = useState(() => tabsMode(window.location.search))
  const change = (on: boolean) => {
    window.history.replaceState(null, '', withTabsMode(window.location.href, on))
    setShared(on)
  }
  return <App key={shared ? 'shared' : 'own'} server={server} shared={shared} onSharedChange={change} />
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
)
