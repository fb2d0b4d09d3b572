import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChatComponent } from './app/chat.component';

// Zoneless, as new Angular apps are: only signals refresh the view.
bootstrapApplication(ChatComponent, { providers: [provideZonelessChangeDetection()] }).catch((error: unknown) => console.error(error));
