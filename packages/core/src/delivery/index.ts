export type { Delivery } from '../delivery-contract'
export { type AcknowledgedOptions, acknowledged } from './acknowledged'
