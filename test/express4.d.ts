// express4 is Express 4 installed under an npm alias without its own types. Its surface as used in
// tests (app, Router, json(), error handlers) matches @types/express closely enough.
declare module 'express4' {
  import express from 'express';
  export default express;
}
