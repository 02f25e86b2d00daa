import { useMemo } from 'react';
import { useQuery } from '../../lib/use-query';
import { Chart } from './Chart';
import { escapeHtml } from './echarts';

/**
 * Reported figures beside the case file's own counts: "the source says 245, your data has 231".
 * Both series come from one SQL aggregate in the core.
 */
export function Dashboard() {
  const figures = useQuery('dashboard.figuresByAdmin1', {}, ['figures', 'incidents']);
  const byCountry = useQuery('dashboard.incidentsBy', { dimension: 'country' }, ['incidents']);

  const figuresOption = useMemo(() => {
    const d = figures.data;
    const bars = d?.bars ?? [];
    return {
      title: {
        text: d?.measure ? `${d.measure}, by province` : 'Reported figures by province',
        subtext: d?.total !== null && d?.total !== undefined ? `Reported total: ${d.total.toLocaleString('en')} · bars: reported · dark: incidents in this case file` : '',
        left: 0,
        textStyle: { fontSize: 15 },
      },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { name: string; value: number; seriesName: string }[]) => {
          const p = ps[0];
          if (!p) return '';
          const reported = bars.find((b) => b.label === p.name);
          const diff = reported ? reported.value - reported.computed : 0;
          return `<b>${escapeHtml(p.name)}</b><br/>Source says ${escapeHtml(reported?.value)}; your data has ${escapeHtml(reported?.computed)}${diff ? ` (${diff > 0 ? '−' : '+'}${Math.abs(diff)})` : ''}`;
        },
      },
      legend: { top: 50, data: ['Reported', 'In case file'] },
      grid: { left: 100, right: 40, top: 90, bottom: 30 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.label), axisLabel: { formatter: (v: string) => v } },
      series: [
        { name: 'Reported', type: 'bar', data: bars.map((b) => b.value), label: { show: true, position: 'right' }, itemStyle: { color: '#7da7d9' } },
        { name: 'In case file', type: 'bar', data: bars.map((b) => b.computed), itemStyle: { color: '#1f3b63' } },
      ],
    };
  }, [figures.data]);

  const countryOption = useMemo(() => {
    const rows = byCountry.data ?? [];
    return {
      title: { text: 'Incidents in this case file, by country', left: 0, textStyle: { fontSize: 15 } },
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${escapeHtml(p.name)}: ${escapeHtml(p.value)}` },
      grid: { left: 100, right: 40, top: 50, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => r.label) },
      series: [{ type: 'bar', data: rows.map((r) => r.value), label: { show: true, position: 'right' }, itemStyle: { color: '#b5651d' } }],
    };
  }, [byCountry.data]);

  return (
    <div className="dashboard" data-testid="dashboard">
      {figures.error && <p className="error">{figures.error}</p>}
      <section className="panel">
        <Chart option={figuresOption} testId="chart-figures" height={520} />
        <table className="figures-table" data-testid="figures-table">
          <thead>
            <tr>
              <th>Province</th>
              <th>Source says</th>
              <th>Your data has</th>
            </tr>
          </thead>
          <tbody>
            {figures.data?.bars.map((b) => (
              <tr key={b.label}>
                <td>{b.label}</td>
                <td className="num">{b.value.toLocaleString('en')}</td>
                <td className="num">{b.computed.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <Chart option={countryOption} testId="chart-by-country" height={320} />
      </section>
    </div>
  );
}
