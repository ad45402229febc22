import * as os from 'os'; import * as fs from 'fs'; import * as path from 'path';
import * as k from '../examples/k8s-retraining/app';
import { ComplianceReport } from '../src';
const d = fs.mkdtempSync(path.join(os.tmpdir(),'x'));
const app = k.createApp(d);
const r = ComplianceReport.of(app);
console.log(JSON.stringify(r.toJson(), null, 1).slice(0, 6000));
