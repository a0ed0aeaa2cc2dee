import { storageContract } from './contract.js';
import { onEveryStore } from './every-store.js';

// One contract, every implementation: what the domain may rely on whichever store is configured.
onEveryStore('storage contract', storageContract);
