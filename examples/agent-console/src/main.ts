/** The agent console page (served at /agent/ by the demo vendor backend): registers its elements. */
import { AgentConsole } from './agent-console.ts';
import { AgentInbox } from './agent-inbox.ts';
import { AgentTicket } from './agent-ticket.ts';

customElements.define('agent-inbox', AgentInbox);
customElements.define('agent-ticket', AgentTicket);
customElements.define('agent-console', AgentConsole);
