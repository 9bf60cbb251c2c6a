/** `null`, as a snapshot function (the server snapshot of a socket that does not exist there). */
export const none = (): null => null
