// The word picture of `ptelab decode` lives with the compiler's other descriptions of values (compiler/ruler.ts), so
// that the language server shows the same one.
export { bitRuler } from '../compiler/ruler.js';
