// The renderer's Content-Security-Policy forbids eval: zod validates without compiling its parsers
// (its faster path tries `new Function` first, which the policy reports as a violation).
import { z } from 'zod';

z.config({ jitless: true });
