/** Configuration of the quality backend (none yet). */
export interface Config {}
