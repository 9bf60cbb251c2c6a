import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core'
import { toSignal } from '@angular/core/rxjs-interop'
import { SERVER_URL } from './server-url'
import { TickerService } from './ticker.service'

/** The live price feed and its connection, through signals. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header>
      <h1>lifeline ticker</h1>
      <span class="state state-{{ connection().state }}" data-testid="state">{{ stateText() }}</span>
      <span class="opens" data-testid="opens">{{ reconnections() }}</span>
      <span class="server">{{ server }}</span>
    </header>
    @if (recent()[0]; as last) {
      <section class="last">
        <div class="price" data-testid="price">{{ last.price.toFixed(2) }}</div>
        <div class="seq" data-testid="seq" [attr.data-seq]="last.seq">seq {{ last.seq }}</div>
      </section>
      <ol class="recent">
        @for (tick of recent(); track tick.seq) {
          <li><span>#{{ tick.seq }}</span> {{ tick.price.toFixed(2) }}</li>
        }
      </ol>
    } @else {
      <p class="empty">Waiting for the first price…</p>
    }
  `,
})
export class AppComponent {
  private readonly ticker = inject(TickerService)
  protected readonly server = inject(SERVER_URL)
  protected readonly recent = toSignal(this.ticker.recent$, { initialValue: [] })
  protected readonly connection = toSignal(this.ticker.connection$, { requireSync: true })
  protected readonly stateText = computed(() => {
    const { state, lastClose } = this.connection()
    if (state !== 'reconnecting' || !lastClose) return state
    return `reconnecting · last close ${lastClose.code}${lastClose.reason ? ` ${lastClose.reason}` : ''}`
  })
  protected readonly reconnections = computed(() => {
    const opens = this.connection().opens
    return opens > 1 ? `reconnected ${opens - 1}×` : ''
  })
}
