// React's functions this package uses, imported in one place so that a bundle imports React once.
export {
  createContext,
  createElement,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
