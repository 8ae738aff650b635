import { App, Chart } from 'cdk8s';
import { Review } from '../../../lib';

const debugTools = new Chart(new App(), 'debug-tools');
Review.acknowledge(debugTools, 'rbac-escalation', 'on-call engineers exec into pods in dev only; ticket OPS-112');
