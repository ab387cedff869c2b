import { render } from 'preact';
import { App } from './App';
import { session } from './session';
import './styles.css';

void session.restore();
render(<App />, document.getElementById('app')!);
