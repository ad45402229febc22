import * as os from 'os'; import * as fs from 'fs'; import * as path from 'path';
import * as k from '../examples/k8s-retraining/app';
import { ComplianceReport } from '../src';
const d = fs.mkdtempSync(path.join(os.tmpdir(),'x'));
const app = k.createApp(d);
const r = ComplianceReport.of(app).toJson();
for (const w of r.workloads) for (const c of w.controls) for (const e of c.evidence) if (/namespace/i.test(e)) console.log(w.path, c.id, e.slice(0,300));
