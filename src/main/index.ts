// Electron main: starts the shell (shell.ts). Each job lives in its own module next to this one.
import { join } from 'node:path'
import { startShell } from './shell'

void startShell({ rendererDir: join(__dirname, '../renderer') })
