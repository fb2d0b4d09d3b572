import { provideZoneChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChatComponent } from './app/chat.component';

// The same app for a codebase that still runs zone.js (the `zone` build configuration loads it
// as a polyfill): NgZone triggers change detection, and signals keep refreshing the view as well.
bootstrapApplication(ChatComponent, { providers: [provideZoneChangeDetection({ eventCoalescing: true })] }).catch((error: unknown) =>
  console.error(error),
);
